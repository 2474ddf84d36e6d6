from flowmap.launch import main

main()
